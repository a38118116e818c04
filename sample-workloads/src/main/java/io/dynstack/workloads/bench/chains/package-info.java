/**
 * The call chains the overhead benchmarks measure: the only classes the benchmarks' agent weaves
 * ({@code kernel=io.dynstack.workloads.bench.chains.**}), so the JMH harness around them runs as
 * it would without the agent. Each chain lives in its own package so that running one loads, and
 * weaves, only its own classes: the report of a run then counts that chain alone.
 */
package io.dynstack.workloads.bench.chains;
