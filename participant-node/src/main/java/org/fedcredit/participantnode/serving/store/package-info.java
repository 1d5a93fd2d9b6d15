/**
 * The decision store: every credit decision the bank's node issued, as issued, by its unguessable
 * token. {@link org.fedcredit.participantnode.serving.store.DecisionStore} is the seam; {@link
 * org.fedcredit.participantnode.serving.store.JdbcDecisionStore} keeps it on embedded H2 or
 * PostgreSQL with Flyway migrations. See docs/borrower-page.md.
 */
package org.fedcredit.participantnode.serving.store;
