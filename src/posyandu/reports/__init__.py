"""Monthly reports (laporan bulanan): the posyandu and Puskesmas recaps as xlsx and PDF."""
