"""The models: conditioning features, the GAN, the AR-CNN, decoding, shipped weights, registry."""
