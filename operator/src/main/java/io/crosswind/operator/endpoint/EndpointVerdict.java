package io.crosswind.operator.endpoint;

/** Why a ModelEndpoint does or does not serve: a condition reason and one sentence for a person. */
public record EndpointVerdict(String reason, String message) {}
