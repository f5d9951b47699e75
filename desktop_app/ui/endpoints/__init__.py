"""Remote OpenAI-compatible endpoints: the Endpoints page and remote models in the picker."""
