"""Tests of the platform as a whole: what crosses every app (erasure, backup, the API
fuzzing), and real processes (the scale-out cluster). They may import any app."""
