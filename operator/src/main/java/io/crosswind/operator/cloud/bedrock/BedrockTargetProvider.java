package io.crosswind.operator.cloud.bedrock;

import io.crosswind.api.v1alpha1.BedrockOpenAiEndpoint;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.ManagementPacer;
import io.crosswind.operator.cloud.OpenAiProbe;
import io.crosswind.operator.cloud.ProbeResult;
import io.crosswind.operator.cloud.SharedReads;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.cloud.TargetProvider;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.operator.cloud.bedrock.BedrockConnections.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.bedrock.model.FoundationModelDetails;

/**
 * AWS Bedrock targets through the AWS SDK for Java v2: the foundation model checked with
 * GetFoundationModel, an application inference profile (on demand) or a provisioned throughput, and
 * a short-term Bedrock API key scoped to exactly that resource, renewed long before it expires.
 * Nothing blocks on a long-running operation, nothing Crosswind does not own is changed.
 */
public final class BedrockTargetProvider implements TargetProvider {

  private static final Logger LOG = LoggerFactory.getLogger(BedrockTargetProvider.class);

  private final BedrockSettings settings;
  private final BedrockConnections connections;
  private final BedrockInferenceProfiles profiles = new BedrockInferenceProfiles();
  private final BedrockProvisionedThroughputs throughputs;
  private final BedrockApiKeys keys;
  private final OpenAiProbe openAiProbe;
  private final BedrockConverseProbe converseProbe;
  private final RetryBackoff backoff = new RetryBackoff(new Random());
  private final ChangeNotices lifecycles = new ChangeNotices();

  /**
   * A region's model catalog, shared by every endpoint on the same model and identity: at most 30 s
   * old for an applied change, 10 minutes for a resync (a model's lifecycle changes in months).
   */
  private final SharedReads<FoundationModelDetails> catalog;

  public BedrockTargetProvider(BedrockSettings settings) {
    this(settings, ManagementPacer.off());
  }

  /** A provider whose control-plane and STS calls go through {@code pacer}. */
  public BedrockTargetProvider(BedrockSettings settings, ManagementPacer pacer) {
    this.settings = settings;
    this.connections = new BedrockConnections(settings, pacer);
    this.catalog =
        new SharedReads<>(Duration.ofSeconds(30), Duration.ofMinutes(10), settings.clock());
    this.throughputs = new BedrockProvisionedThroughputs(settings.clock());
    this.keys = new BedrockApiKeys(settings);
    this.openAiProbe = new OpenAiProbe(settings.dataPlane(), settings.clock());
    this.converseProbe = new BedrockConverseProbe(settings.httpClient(), settings.clock());
  }

  @Override
  public Provider provider() {
    return Provider.Bedrock;
  }

  @Override
  public TargetObservation reconcile(TargetRequest request) {
    BedrockTargetSpec spec = spec(request);
    if (spec.roleArn() == null) {
      return TargetObservation.failed(
          new CloudError(
              "RoleRequired",
              "Target "
                  + spec.target()
                  + " names no roleArn, its CloudGrant names no spec.bedrock.roleArn and the"
                  + " operator has no default role (--aws-role-arn):"
                  + " Crosswind publishes only Bedrock API keys scoped to the target by a session"
                  + " policy, which needs a role to assume; set one of them.",
              BedrockErrors.CONFIGURATION),
          null);
    }
    return connected(request, spec, c -> observe(request, spec, c));
  }

  @Override
  public TargetObservation delete(TargetRequest request) {
    BedrockTargetSpec spec = spec(request);
    return connected(
        request,
        spec,
        c ->
            spec.provisioned()
                ? throughputs.delete(c, spec)
                : profiles.delete(c, spec, request.recordedResourceId()));
  }

  @Override
  public ProbeResult probe(Upstream upstream, Credential credential, Duration timeout) {
    if (upstream != null && credential != null && upstream.api() == Upstream.Api.BEDROCK_CONVERSE) {
      return converseProbe.probe(upstream, credential, timeout);
    }
    return openAiProbe.probe(upstream, credential, timeout);
  }

  private BedrockTargetSpec spec(TargetRequest request) {
    return BedrockTargetSpec.of(
        request.owner(),
        request.target().getName(),
        request.target().getBedrock(),
        request.identity().awsRoleArn() != null
            ? request.identity().awsRoleArn()
            : settings.defaultRoleArn());
  }

  /**
   * Connects with the target's identity, runs the step, and turns any failure into a reason;
   * throttling and outages back off with jitter, longer with each failure in a row.
   */
  private TargetObservation connected(
      TargetRequest request, BedrockTargetSpec spec, Function<Connection, TargetObservation> step) {
    Connection connection =
        connections.connect(
            spec.region(), spec.roleArn(), request.credentials(), spec.owner().namespace());
    if (connection.error() != null) {
      return TargetObservation.failed(connection.error(), null);
    }
    TargetObservation observed;
    try {
      observed = step.apply(connection);
    } catch (RuntimeException e) {
      CloudError error = BedrockErrors.classify(e);
      LOG.info("Bedrock target {}: {}", request, error.reason());
      observed = TargetObservation.failed(error, null);
    }
    return backedOff(spec.owner().tagValue() + "/" + spec.target(), observed);
  }

  /** A failure that waiting cures comes back later with each failure in a row, with jitter. */
  private TargetObservation backedOff(String subject, TargetObservation o) {
    if (o.state() != TargetState.Failed || !BedrockErrors.transientFailure(o.reason())) {
      backoff.reset(subject);
      return o;
    }
    Duration base = o.recheckAfter() == null ? BedrockErrors.THROTTLE : o.recheckAfter();
    return new TargetObservation(
        o.state(),
        o.reason(),
        o.message(),
        o.resourceId(),
        backoff.next(subject, base),
        o.details(),
        o.events(),
        o.upstream(),
        o.credential());
  }

  private TargetObservation observe(TargetRequest request, BedrockTargetSpec spec, Connection c) {
    FoundationModelDetails model;
    try {
      model =
          catalog.get(
              c.key() + "|" + spec.modelId(),
              () ->
                  c.bedrock()
                      .getFoundationModel(r -> r.modelIdentifier(spec.modelId()))
                      .modelDetails());
    } catch (RuntimeException e) {
      if (!BedrockErrors.isNotFound(e)) {
        throw e;
      }
      return TargetObservation.failed(
          BedrockErrors.missing(
              e,
              "ModelNotAvailable",
              "Bedrock offers no model "
                  + spec.modelId()
                  + " in "
                  + spec.region()
                  + "; use a model id that ListFoundationModels reports for the region, or"
                  + " another region."),
          null);
    }
    FoundationModelFit fit = FoundationModelFit.of(spec, model);
    if (fit.problem() != null) {
      return TargetObservation.failed(fit.problem(), null);
    }
    boolean mantle =
        request.target().getBedrock().getOpenAiEndpoint() == BedrockOpenAiEndpoint.Mantle;
    if (mantle && fit.api() != Upstream.Api.OPENAI) {
      return TargetObservation.failed(
          new CloudError(
              "MantleNeedsOpenAiModel",
              "Bedrock serves "
                  + spec.modelId()
                  + " through Converse, which the mantle endpoint does not offer; remove"
                  + " openAiEndpoint: Mantle from the target.",
              BedrockErrors.CONFIGURATION),
          null);
    }
    List<CloudEvent> events = lifecycleEvents(spec, model, fit);
    BedrockResource resource =
        spec.provisioned()
            ? throughputs.reconcile(c, spec, model, fit)
            : profiles.reconcile(c, spec, model, fit, request.recordedResourceId());
    if (!resource.ready()) {
      return resource.observation().withEvents(events);
    }
    Upstream upstream =
        fit.api() == Upstream.Api.OPENAI
            ? new Upstream(
                Upstream.Api.OPENAI,
                mantle
                    ? settings.mantleEndpoint(spec.region()) + "/v1"
                    : settings.runtimeEndpoint(spec.region()) + "/openai/v1",
                resource.arn(),
                spec.region())
            : new Upstream(
                Upstream.Api.BEDROCK_CONVERSE,
                settings.runtimeEndpoint(spec.region()),
                resource.arn(),
                spec.region());
    return keys.serve(request, spec, c, resource, upstream).withEvents(events);
  }

  /** A warning when the model is LEGACY, once per change of its lifecycle. */
  private List<CloudEvent> lifecycleEvents(
      BedrockTargetSpec spec, FoundationModelDetails model, FoundationModelFit fit) {
    String subject = spec.owner().tagValue() + "/" + spec.target() + "/" + spec.modelId();
    if (!lifecycles.changed(subject, fit.legacy() ? FoundationModelFit.LEGACY : null)) {
      return List.of();
    }
    var lifecycle = model.modelLifecycle();
    return List.of(
        new CloudEvent(
            true,
            "ModelLegacy",
            "Model "
                + spec.modelId()
                + " is LEGACY in "
                + spec.region()
                + (lifecycle.endOfLifeTime() == null
                    ? ""
                    : " and reaches its end of life at " + lifecycle.endOfLifeTime())
                + "; move target "
                + spec.target()
                + " to an active model before then."));
  }
}
