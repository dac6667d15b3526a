"""Test scaffolding shipped with the package, never used by the product: fault-injecting fake
backends (``glossary score --backend fake-NAME``), the tiny random-weight Marian model builder with
its corpus, and the benchmark's forced output lengths."""
