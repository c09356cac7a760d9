"""Support for tests and benchmarks (synthetic corpora, project copies, reference
implementations, a browser harness). The product never imports it."""
