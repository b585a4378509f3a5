"""The pure clinical core: values in, values out. No I/O, no clock, no framework, no language."""
