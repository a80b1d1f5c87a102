package io.crosswind.operator.cloud.bedrock;

import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.ManagementPacer;
import io.crosswind.operator.cloud.Owner;
import io.crosswind.operator.cloud.SharedReads;
import io.crosswind.operator.cloud.TargetDetails;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.cloud.bedrock.BedrockConnections.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.bedrock.model.FoundationModelDetails;
import software.amazon.awssdk.services.bedrock.model.GetInferenceProfileResponse;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModel;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModelSource;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;

/**
 * On-demand targets: one application inference profile per target, tagged with its owner so that
 * each endpoint's spend shows in the bill, copying the foundation model or, with {@code
 * crossRegion}, the system-defined cross-region profile of that geography.
 */
final class BedrockInferenceProfiles {

  static final Duration POLL = Duration.ofSeconds(2);

  /** A profile as Bedrock reports it, from a listing or a get. */
  record Profile(String arn, String name, List<String> models, Instant createdAt) {
    static Profile of(InferenceProfileSummary s) {
      return new Profile(
          s.inferenceProfileArn(), s.inferenceProfileName(), arns(s.models()), s.createdAt());
    }

    static Profile of(GetInferenceProfileResponse p) {
      return new Profile(
          p.inferenceProfileArn(), p.inferenceProfileName(), arns(p.models()), p.createdAt());
    }
  }

  /**
   * What the target's profile copies.
   *
   * @param copyFrom the foundation model's or the system profile's ARN
   * @param models the foundation-model ARNs the profile routes to
   */
  record Source(String copyFrom, List<String> models) {}

  /** Profile ARNs by connection and name, so that a steady target needs no listing. */
  private final Map<String, String> arns = new ConcurrentHashMap<>();

  /**
   * One listing of an account's application profiles in a region, shared by all its endpoints:
   * endpoints applied together wait for the one listing in flight (at most 5 s old), and the resync
   * of ready endpoints reads its profile from a listing at most a minute old instead of one get
   * each. A listing per endpoint made creating N endpoints cost N listings of N profiles.
   */
  private final SharedReads<Map<String, InferenceProfileSummary>> listings =
      new SharedReads<>(Duration.ofSeconds(5), Duration.ofMinutes(1), Clock.systemUTC());

  /**
   * @param recorded the resource Crosswind recorded for the target (in its route table) when it
   *     made it, null when none: read by its ARN when this process has not met the profile yet
   *     (after a restart, or in the shard an endpoint moved to)
   */
  BedrockResource reconcile(
      Connection c,
      BedrockTargetSpec spec,
      FoundationModelDetails model,
      FoundationModelFit fit,
      String recorded) {
    Source desired;
    try {
      desired = source(c, spec, model);
    } catch (RuntimeException e) {
      if (!BedrockErrors.isNotFound(e)) {
        throw e;
      }
      return BedrockResource.notReady(
          TargetObservation.failed(
              BedrockErrors.missing(
                  e,
                  "CrossRegionNotAvailable",
                  "Bedrock in "
                      + spec.region()
                      + " has no "
                      + spec.crossRegion()
                      + " cross-region inference profile for "
                      + spec.modelId()
                      + "; use another geography in crossRegion, or remove it."),
              null));
    }
    Owner owner = spec.owner();
    Profile found = find(c, spec, recorded);
    String name = found == null ? spec.name() : found.name();
    if (found == null) {
      String arn =
          c.bedrock()
              .createInferenceProfile(
                  r ->
                      r.inferenceProfileName(name)
                          .modelSource(InferenceProfileModelSource.fromCopyFrom(desired.copyFrom()))
                          .clientRequestToken(spec.profileToken(desired.copyFrom()))
                          .tags(Connection.ownerTag(owner)))
              .inferenceProfileArn();
      arns.put(cacheKey(c, name), arn);
      String what = "application inference profile " + name + " of " + desired.copyFrom();
      return BedrockResource.notReady(
          TargetObservation.provisioning(
              arn,
              "ProfileCreating",
              "Created " + what + ".",
              POLL,
              List.of(new CloudEvent(false, "ProfileCreating", "Created Bedrock " + what + "."))));
    }
    if (!c.owns(found.arn(), owner)) {
      return BedrockResource.notReady(
          TargetObservation.failed(
              new CloudError(
                  "NotOwned",
                  "Application inference profile "
                      + name
                      + " in "
                      + spec.region()
                      + " exists and was not made by this endpoint, so Crosswind will not change"
                      + " it; delete it or rename the target.",
                  BedrockErrors.CONFIGURATION),
              found.arn()));
    }
    if (!Set.copyOf(found.models()).equals(Set.copyOf(desired.models()))) {
      // A profile's source cannot change: an on-demand profile costs nothing, so it is replaced.
      c.bedrock().deleteInferenceProfile(r -> r.inferenceProfileIdentifier(found.arn()));
      Connection.forget(found.arn());
      arns.remove(cacheKey(c, name));
      String why =
          "Application inference profile "
              + name
              + " routes to other models than the spec asks for; it is replaced by one of "
              + desired.copyFrom()
              + ".";
      return BedrockResource.notReady(
          TargetObservation.provisioning(
              found.arn(),
              "ProfileReplacing",
              why,
              POLL,
              List.of(new CloudEvent(false, "ProfileReplacing", why))));
    }
    List<String> scope = new ArrayList<>();
    scope.add(found.arn());
    scope.addAll(found.models());
    if (spec.crossRegion() != null) {
      scope.add(desired.copyFrom());
    }
    return new BedrockResource(
        TargetObservation.ready(
            found.arn(),
            "Application inference profile "
                + name
                + " serves "
                + spec.modelId()
                + " on demand"
                + (spec.crossRegion() == null
                    ? " in " + spec.region()
                    : " across the " + spec.crossRegion() + " geography from " + spec.region())
                + ".",
            new TargetDetails(null, null, fit.lifecycle(), null),
            null),
        found.arn(),
        found.createdAt(),
        scope);
  }

  TargetObservation delete(Connection c, BedrockTargetSpec spec, String recorded) {
    Profile found = find(c, spec, recorded);
    if (found == null) {
      return TargetObservation.deleting(
          "Deleted", "The target's application inference profile is gone.", null, null);
    }
    if (!c.owns(found.arn(), spec.owner())) {
      return TargetObservation.deleting(
          "Deleted",
          "Application inference profile "
              + found.name()
              + " was not made by this endpoint and is left in place.",
          null,
          null);
    }
    c.bedrock().deleteInferenceProfile(r -> r.inferenceProfileIdentifier(found.arn()));
    Connection.forget(found.arn());
    arns.remove(cacheKey(c, found.name()));
    return TargetObservation.deleting(
        "ProfileDeleting",
        "Deleting application inference profile " + found.name() + ".",
        found.arn(),
        POLL);
  }

  private Source source(Connection c, BedrockTargetSpec spec, FoundationModelDetails model) {
    if (spec.crossRegion() == null) {
      return new Source(model.modelArn(), List.of(model.modelArn()));
    }
    GetInferenceProfileResponse system =
        c.bedrock().getInferenceProfile(r -> r.inferenceProfileIdentifier(spec.systemProfileId()));
    return new Source(system.inferenceProfileArn(), arns(system.models()));
  }

  /**
   * The target's profile: by its known ARN, else from one listing, under its name or under the name
   * Crosswind 0.1 gave it; null when none.
   */
  private Profile find(Connection c, BedrockTargetSpec spec, String recorded) {
    List<String> names = List.of(spec.name(), spec.legacyName());
    if (ManagementPacer.current() == ManagementPacer.Work.BACKGROUND) {
      // A resync: the account's shared listing answers for every endpoint in it.
      Map<String, InferenceProfileSummary> listed = listing(c);
      for (String name : names) {
        InferenceProfileSummary s = listed.get(name);
        if (s != null && s.inferenceProfileArn().equals(arns.get(cacheKey(c, name)))) {
          return Profile.of(s);
        }
      }
    }
    for (String name : names) {
      String key = cacheKey(c, name);
      String known = arns.get(key);
      if (known == null) {
        continue;
      }
      try {
        Profile p =
            Profile.of(c.bedrock().getInferenceProfile(r -> r.inferenceProfileIdentifier(known)));
        if (name.equals(p.name())) {
          return p;
        }
      } catch (RuntimeException e) {
        if (!BedrockErrors.isNotFound(e)) {
          throw e;
        }
      }
      arns.remove(key);
    }
    Profile recordedProfile = recorded(c, names, recorded);
    if (recordedProfile != null) {
      return recordedProfile;
    }
    Map<String, InferenceProfileSummary> listed = listing(c);
    if (!listed.containsKey(spec.name()) && !listed.containsKey(spec.legacyName())) {
      // Not in a listing a resync may take a minute old: before anything is created, ask a listing
      // young enough to show a profile made since (by another shard, or an earlier replica).
      listed = listings.fresh(c.key(), () -> list(c));
    }
    InferenceProfileSummary mine = listed.get(spec.name());
    if (mine != null) {
      arns.put(cacheKey(c, spec.name()), mine.inferenceProfileArn());
      return Profile.of(mine);
    }
    InferenceProfileSummary old = listed.get(spec.legacyName());
    Profile legacy = old == null ? null : Profile.of(old);
    if (legacy == null || !c.owns(legacy.arn(), spec.owner())) {
      // Someone else's resource under the old name is no reason to refuse the new one.
      return null;
    }
    arns.put(cacheKey(c, legacy.name()), legacy.arn());
    return legacy;
  }

  /**
   * The profile recorded for the target, when this process knows no ARN for it: one get, which a
   * listing taken before the profile existed cannot replace.
   */
  private Profile recorded(Connection c, List<String> names, String recorded) {
    if (recorded == null
        || !recorded.contains(":application-inference-profile/")
        || names.stream().anyMatch(n -> arns.containsKey(cacheKey(c, n)))) {
      return null;
    }
    try {
      Profile p =
          Profile.of(c.bedrock().getInferenceProfile(r -> r.inferenceProfileIdentifier(recorded)));
      if (names.contains(p.name())) {
        arns.put(cacheKey(c, p.name()), p.arn());
        return p;
      }
      return null;
    } catch (RuntimeException e) {
      if (BedrockErrors.isNotFound(e)) {
        return null;
      }
      throw e;
    }
  }

  /** The account's application profiles in the connection's region, by name. */
  private Map<String, InferenceProfileSummary> listing(Connection c) {
    return listings.get(c.key(), () -> list(c));
  }

  private static Map<String, InferenceProfileSummary> list(Connection c) {
    Map<String, InferenceProfileSummary> byName = new java.util.HashMap<>();
    for (InferenceProfileSummary s :
        c.bedrock()
            .listInferenceProfilesPaginator(
                r -> r.typeEquals(InferenceProfileType.APPLICATION).maxResults(1000))
            .inferenceProfileSummaries()) {
      byName.putIfAbsent(s.inferenceProfileName(), s);
    }
    return Map.copyOf(byName);
  }

  private static String cacheKey(Connection c, String name) {
    return c.key() + "|" + name;
  }

  private static List<String> arns(List<InferenceProfileModel> models) {
    return models == null
        ? List.of()
        : models.stream().map(InferenceProfileModel::modelArn).toList();
  }
}
