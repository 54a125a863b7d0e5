"""Campaigns (评价年度): year, scheme version, open and close dates."""
