"""Outside material turned into data files: profile pages, Eurostat extracts, region stubs.

:mod:`.profile_page` reads a published profile page into a Profile and :mod:`.bibliography`
adds its entry to the bibliography; :mod:`.eurostat` builds the indicators table from the
Eurostat extract; :mod:`.new_region` writes a region file ready to fill.
"""
