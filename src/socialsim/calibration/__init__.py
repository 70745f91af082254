"""Calibration to a brand's real data."""
