/**
 * What the participant node and the coordinator share on the wire: the gRPC {@code Federation}
 * (chunked, idempotent, authorised per job), mutual TLS with the private certificate authority, and
 * the metrics/health endpoint. See docs/adr/005-transport-module.md.
 */
package org.fedcredit.transport;
