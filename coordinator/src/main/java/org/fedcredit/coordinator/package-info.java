/**
 * Job API and scheduler, the coordinator role of each algorithm, the transparency log and the model
 * registry.
 *
 * <p>Built so far: {@link org.fedcredit.coordinator.store.CoordinatorStore}, the relational store
 * of parties, jobs, job events, party decisions and models (docs/coordinator-store.md).
 *
 * <p>Not built yet: the rest of issues 4 and 7 ({@code fedcredit coordinator} and {@code fedcredit
 * audit} say so).
 */
package org.fedcredit.coordinator;
