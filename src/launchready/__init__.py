"""launchready: is your AI product safe to launch?"""

__version__ = "0.1.0"
