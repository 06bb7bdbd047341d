"""composer: the music engine — Bach chorale data, the GAN and AR-CNN models, the compose pipeline.

Plain Python: no Django here. Training code (`composer.train`, the model files) needs only torch and
numpy so it runs on a bare GPU machine.
"""

__version__ = "0.1.0"
