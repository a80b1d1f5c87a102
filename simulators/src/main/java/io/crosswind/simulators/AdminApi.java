package io.crosswind.simulators;

import io.crosswind.simulators.bedrock.BedrockState;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;

/**
 * A small HTTP API on loopback to steer the simulators from outside the JVM (the demo, the
 * benchmarks, curl):
 *
 * <ul>
 *   <li>{@code GET /admin/endpoints}: service URLs, the CA file, the test credentials;
 *   <li>{@code GET|DELETE /admin/calls}: calls per service and operation, or reset them;
 *   <li>{@code GET|DELETE /admin/limits}: the calls the management limits refused, by service and
 *       operation, or forget them;
 *   <li>{@code GET|POST|DELETE /admin/faults}: the faults in force, add one ({@code {"service":
 *       "azure-openai", "scope": "acct", "kind": "THROTTLE", "fraction": 0.5, "status": 429,
 *       "delayMs": 1000}}), or clear them;
 *   <li>{@code POST /admin/services/{service}/refuse|restore}: close or reopen a service's port;
 *   <li>{@code POST /admin/azure/resource-groups/{name}}: add a resource group;
 *   <li>{@code POST /admin/bedrock/runtime-quotas}: set a model's runtime quota in a region ({@code
 *       {"region": "us-east-1", "model": "openai.gpt-oss-120b-1:0", "requestsPerMinute": 100000,
 *       "tokensPerMinute": 100000000}}), for load that the default quota would throttle.
 * </ul>
 */
final class AdminApi {

  private AdminApi() {}

  static HttpServer start(Vertx vertx, Simulators sim, JsonObject endpoints, int port) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    router.get("/admin/endpoints").handler(rc -> json(rc, 200, endpoints));
    router
        .get("/admin/calls")
        .handler(
            rc -> json(rc, 200, new JsonObject(new java.util.HashMap<>(sim.calls().snapshot()))));
    router
        .delete("/admin/calls")
        .handler(
            rc -> {
              sim.calls().reset();
              rc.response().setStatusCode(204).end();
            });
    router
        .get("/admin/limits")
        .handler(
            rc ->
                json(
                    rc,
                    200,
                    new JsonObject()
                        .put("scale", sim.limits().scale())
                        .put(
                            "refused",
                            new JsonObject(new java.util.HashMap<>(sim.limits().refusals())))));
    router
        .delete("/admin/limits")
        .handler(
            rc -> {
              sim.limits().resetRefusals();
              rc.response().setStatusCode(204).end();
            });
    router
        .get("/admin/faults")
        .handler(
            rc -> {
              JsonArray faults = new JsonArray();
              sim.faults().active().forEach(f -> faults.add(faultJson(f)));
              json(rc, 200, new JsonObject().put("faults", faults));
            });
    router
        .post("/admin/faults")
        .handler(
            rc -> {
              try {
                JsonObject body = rc.body().asJsonObject();
                Fault fault =
                    new Fault(
                        Service.fromId(body.getString("service")),
                        body.getString("scope", "*"),
                        Fault.Kind.valueOf(body.getString("kind")),
                        body.getDouble("fraction", 1.0),
                        body.getInteger(
                            "status", "THROTTLE".equals(body.getString("kind")) ? 429 : 503),
                        Duration.ofMillis(body.getLong("delayMs", 0L)));
                sim.faults().add(fault);
                json(rc, 201, faultJson(fault));
              } catch (RuntimeException e) {
                json(rc, 400, new JsonObject().put("error", String.valueOf(e.getMessage())));
              }
            });
    router
        .delete("/admin/faults")
        .handler(
            rc -> {
              sim.faults().clear();
              rc.response().setStatusCode(204).end();
            });
    router
        .post("/admin/services/:service/:action")
        .handler(
            rc -> {
              Service service;
              String action = rc.pathParam("action");
              try {
                service = Service.fromId(rc.pathParam("service"));
                if (!action.equals("refuse") && !action.equals("restore")) {
                  throw new IllegalArgumentException("action is refuse or restore");
                }
              } catch (RuntimeException e) {
                json(rc, 400, new JsonObject().put("error", String.valueOf(e.getMessage())));
                return;
              }
              // Closing and binding a port waits for it: not on the admin API's event loop.
              vertx
                  .executeBlocking(
                      () -> {
                        if (action.equals("refuse")) {
                          sim.refuseConnections(service);
                        } else {
                          sim.restore(service);
                        }
                        return null;
                      })
                  .onComplete(
                      done -> {
                        if (done.succeeded()) {
                          rc.response().setStatusCode(204).end();
                        } else {
                          json(
                              rc, 500, new JsonObject().put("error", String.valueOf(done.cause())));
                        }
                      });
            });
    router
        .post("/admin/azure/resource-groups/:name")
        .handler(
            rc -> {
              sim.createResourceGroup(rc.pathParam("name"));
              rc.response().setStatusCode(204).end();
            });
    router
        .post("/admin/bedrock/runtime-quotas")
        .handler(
            rc -> {
              JsonObject body = rc.body().asJsonObject();
              sim.bedrock()
                  .setRuntimeQuota(
                      body.getString("region"),
                      body.getString("model"),
                      new BedrockState.RuntimeQuota(
                          body.getInteger("requestsPerMinute"),
                          body.getInteger("tokensPerMinute")));
              rc.response().setStatusCode(204).end();
            });
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .join();
  }

  private static JsonObject faultJson(Fault f) {
    return new JsonObject()
        .put("service", f.service().id())
        .put("scope", f.scope())
        .put("kind", f.kind().name())
        .put("fraction", f.fraction())
        .put("status", f.status())
        .put("delayMs", f.delay().toMillis());
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encodePrettily());
  }
}
