"""The engine on its own thread: the Qt bridge the window talks to, and sharing it with
the server."""
