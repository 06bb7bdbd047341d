"""composer: the music engine — Bach chorale data, the GAN and AR-CNN models, the compose pipeline.

Plain Python: no Django here. The layers, each importing only from those before it:

    core        constants, errors, score (the 16th-note grid), theory (names, keys), metrics
    data, midi  the chorale dataset and sample melodies; MIDI files in and out, a user's melody
    models      features, the GAN, the AR-CNN, decoding, the shipped weights and the registry
    training | compose    the training loops; the form and pipeline of a one-minute piece
    render      performance, audio, piano roll, sheet music, a piece's files
    evaluation  `composer evaluate`, model cards, the quality bar
    cli         the `composer` command

Training (composer.training, composer.models) needs only torch and numpy, so it runs on a bare
GPU machine.
"""

__version__ = "0.1.0"
