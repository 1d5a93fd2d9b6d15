/**
 * Job API and scheduler, the coordinator role of each algorithm, the transparency log and the model
 * registry.
 *
 * <p>Not built yet: issues 4 and 7 ({@code fedcredit coordinator} and {@code fedcredit audit} say
 * so).
 */
package org.fedcredit.coordinator;
