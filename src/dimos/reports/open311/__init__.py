"""The Open311 GeoReport v2 server at /open311/v2/ (see docs/api.md and
/work/shared/standards/open311.md): XML and JSON, its own error shape, API keys from ApiToken.

``render`` turns Python values into either format, ``params`` reads query strings and bodies,
``serialize`` shapes categories, reports and updates, and ``views`` holds the endpoints.
"""
