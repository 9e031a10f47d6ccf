"""Performance benchmarks. Run ``python benchmarks/questionnaire.py``; see benchmarks/README.md."""
