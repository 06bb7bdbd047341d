"""The chorale dataset (`composer prepare` writes chorales.npz here) and the sample melodies."""
