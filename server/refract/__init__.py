"""Refract: edit prose in a text autoencoder's latent space."""

__version__ = "0.1.0"
