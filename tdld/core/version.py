"""The version of tdld, for the build manifest, the VoID and the User-Agent of its clients."""

VERSION = "0.1.0"
