"""PWS (Pemantauan Wilayah Setempat): the live village health dashboard, from monthly rollups."""
