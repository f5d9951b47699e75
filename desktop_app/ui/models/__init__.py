"""Models: the Models window, its off-thread service, the chat-header model picker, and
their hookup."""
