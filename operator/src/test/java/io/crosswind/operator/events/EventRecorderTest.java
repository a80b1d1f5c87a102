package io.crosswind.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {

  static KubernetesClient client;

  ModelEndpoint chat(String ns) {
    ModelEndpoint e = Fixtures.endpoint(ns, "chat", Fixtures.TWO_TARGETS);
    e.getMetadata().setUid("uid-" + ns);
    return e;
  }

  List<Event> events(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems();
  }

  @Test
  void repeatsOfTheSameEventFoldIntoOneWithACount() {
    EventRecorder recorder =
        new EventRecorder(
            client,
            "replica-1",
            Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

    recorder.warning(chat("a"), "RoutingPolicyNotFound", "RoutingPolicy \"p\" does not exist.");
    recorder.warning(chat("a"), "RoutingPolicyNotFound", "RoutingPolicy \"p\" does not exist.");

    assertThat(events("a"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getCount()).isEqualTo(2);
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("ModelEndpoint");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("chat");
              assertThat(e.getReportingInstance()).isEqualTo("replica-1");
              assertThat(e.getLastTimestamp()).isEqualTo("2026-11-22T10:00:00Z");
            });
  }

  @Test
  void differentDecisionsAreDifferentEvents() {
    EventRecorder recorder = new EventRecorder(client, "replica-1", Clock.systemUTC());

    recorder.warning(chat("b"), "RoutingPolicyNotFound", "RoutingPolicy \"p\" does not exist.");
    recorder.normal(chat("b"), "TargetsNotImplemented", "No cloud resources were created.");

    assertThat(events("b"))
        .extracting(Event::getReason)
        .containsExactlyInAnyOrder("RoutingPolicyNotFound", "TargetsNotImplemented");
  }

  @Test
  void aVeryLongMessageIsCutToWhatTheApiServerStores() {
    EventRecorder recorder = new EventRecorder(client, "replica-1", Clock.systemUTC());

    recorder.normal(chat("c"), "Long", "x".repeat(5000));

    assertThat(events("c").get(0).getMessage()).hasSize(EventRecorder.MAX_MESSAGE_LENGTH);
  }
}
