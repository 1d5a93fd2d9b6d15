/**
 * The algorithms as role programs over the {@code Federation} seam: vertical LR, SecureBoost,
 * WOE/IV binning, scorecard, horizontal FedAvg, and credit metrics.
 *
 * <p>Not built yet: PSI and vertical LR are issue 3, SecureBoost/binning/scorecard issue 5. The
 * {@code fedcredit} commands that need them say so and exit with an error.
 */
package org.fedcredit.modelzoo;
