/**
 * What an operator reads from every FedCredit node: {@link
 * org.fedcredit.transport.metrics.NodeMetrics} (the Prometheus registry with the FedCredit meters
 * and the JVM's) and {@link org.fedcredit.transport.metrics.MetricsHttpServer}, which serves {@code
 * GET /metrics} (Prometheus text format) and {@code GET /health} (JSON, 200 or 503) on the JDK's
 * built-in HTTP server.
 */
package org.fedcredit.transport.metrics;
