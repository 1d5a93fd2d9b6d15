/**
 * The coordinator's relational store: parties, jobs and their state machine, job event logs, party
 * decisions and the model registry, on embedded H2 or PostgreSQL with the same Flyway migrations.
 * {@link org.fedcredit.coordinator.store.CoordinatorStore} is the one entry; see
 * docs/coordinator-store.md.
 */
package org.fedcredit.coordinator.store;
