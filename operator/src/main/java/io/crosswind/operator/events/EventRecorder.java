package io.crosswind.operator.events;

import io.crosswind.operator.conditions.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes events on the resources the operator manages, for the decisions a person wants
 * to see later with {@code kubectl describe} or {@code kubectl get events}.
 *
 * <p>Like client-go's recorder it folds repeats of the same event into one object with a growing
 * {@code count}, so a condition that persists does not flood the namespace. Failing to record an
 * event never fails a reconcile: it is logged and dropped.
 */
public class EventRecorder {

  /** The type of an event, as {@code kubectl get events} shows it. */
  public enum Type {
    Normal,
    Warning
  }

  static final String COMPONENT = "crosswind-operator";
  static final int MAX_MESSAGE_LENGTH = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final String instance;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, String instance, Clock clock) {
    this.client = client;
    this.instance = instance;
    this.clock = clock;
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, Type.Normal, reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, Type.Warning, reason, message);
  }

  public void record(HasMetadata object, Type type, String reason, String message) {
    String namespace = namespaceOf(object);
    String text =
        message.length() <= MAX_MESSAGE_LENGTH
            ? message
            : message.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
    String now = Conditions.timestamp(clock.instant());
    String name = eventName(object, type, reason, text);
    try {
      Resource<Event> resource = client.v1().events().inNamespace(namespace).withName(name);
      Event existing = resource.get();
      if (existing == null) {
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .resource(newEvent(object, name, type, reason, text, now))
            .create();
      } else {
        resource.edit(
            e -> {
              e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
              e.setLastTimestamp(now);
              return e;
            });
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          namespace,
          object.getMetadata().getName(),
          e.getMessage());
    }
  }

  private Event newEvent(
      HasMetadata object, String name, Type type, String reason, String message, String now) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespaceOf(object))
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withName(object.getMetadata().getName())
                .withNamespace(object.getMetadata().getNamespace())
                .withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion())
                .build())
        .withType(type.name())
        .withReason(reason)
        .withMessage(message)
        .withCount(1)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .build();
  }

  /** Where an object's events live: its namespace, or "default" for a cluster-scoped one. */
  static String namespaceOf(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return namespace == null || namespace.isEmpty() ? "default" : namespace;
  }

  /** The same object, type, reason and message always map to the same event name. */
  static String eventName(HasMetadata object, Type type, String reason, String message) {
    String key =
        String.join(
            "\n", String.valueOf(object.getMetadata().getUid()), type.name(), reason, message);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      String name = object.getMetadata().getName();
      if (name.length() > 200) {
        name = name.substring(0, 200);
      }
      return name + "." + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
