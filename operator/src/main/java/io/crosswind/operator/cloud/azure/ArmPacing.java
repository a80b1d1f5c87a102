package io.crosswind.operator.cloud.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.crosswind.operator.cloud.ManagementPacer;
import io.crosswind.operator.cloud.ManagementPacer.Limit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Paces every attempt the management pipeline sends, in ARM's own buckets: per subscription and
 * principal, one each for reads (GET), deletes (DELETE) and writes (everything else: PUT, PATCH and
 * POST actions such as listKeys).
 */
final class ArmPacing implements HttpPipelinePolicy {

  private final ManagementPacer pacer;
  private final String scope;

  /**
   * @param scope the subscription and the principal, with no secret in it
   */
  ArmPacing(ManagementPacer pacer, String scope) {
    this.pacer = pacer;
    this.scope = scope;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    String method = context.getHttpRequest().getHttpMethod().name();
    // The work is the calling thread's: captured here, before the wait moves to another thread.
    ManagementPacer.Caller caller = ManagementPacer.caller();
    return Mono.fromRunnable(() -> ManagementPacer.as(caller, () -> acquire(method)))
        .subscribeOn(Schedulers.boundedElastic())
        .then(Mono.defer(next::process));
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    acquire(context.getHttpRequest().getHttpMethod().name());
    return next.processSync();
  }

  private Object acquire(String method) {
    Limit limit =
        switch (method) {
          case "GET", "HEAD" -> ManagementPacer.ARM_READS;
          case "DELETE" -> ManagementPacer.ARM_DELETES;
          default -> ManagementPacer.ARM_WRITES;
        };
    String kind =
        limit == ManagementPacer.ARM_READS
            ? "reads"
            : limit == ManagementPacer.ARM_DELETES ? "deletes" : "writes";
    pacer.acquire("azure", scope + "|" + kind, limit);
    return null;
  }
}
