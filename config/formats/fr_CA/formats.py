"""Canadian French times, "13 h 40".

Django's own fr_CA formats leave the "h" unescaped, which the date syntax reads as
the 12-hour hour: 16:55 came out as "16 04 55". Everything not set here comes from
Django's fr_CA formats.
"""

TIME_FORMAT = "H\xa0\\h\xa0i"
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"
