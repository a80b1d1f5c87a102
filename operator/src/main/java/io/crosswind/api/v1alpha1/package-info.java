/**
 * The crosswind.io/v1alpha1 API: {@link io.crosswind.api.v1alpha1.ModelEndpoint} and {@link
 * io.crosswind.api.v1alpha1.RoutingPolicy}. The CRDs in {@code crds/} are generated from these
 * classes; every field's description here is what {@code kubectl explain} shows.
 */
package io.crosswind.api.v1alpha1;
