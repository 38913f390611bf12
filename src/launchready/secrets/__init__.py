"""The secret-detection engine: rules as data, a keyword prefilter, regexes, validators."""
