"""Composers turn retrieved passages into a draft answer: extractive (default) or a LangChain chat model."""
