"""The pure domain core: no Django, no clock, no I/O except its packaged data tables."""
