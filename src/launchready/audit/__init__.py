"""Past one repository: merge reports of many repositories into one verdict, and audit a
directory of mirrors on one machine (``launchready merge`` and ``launchready audit``)."""
