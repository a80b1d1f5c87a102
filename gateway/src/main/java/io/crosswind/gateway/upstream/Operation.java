package io.crosswind.gateway.upstream;

/** The OpenAI API operations the gateway serves, as metrics and logs name them. */
public enum Operation {
  CHAT_COMPLETIONS("chat.completions"),
  RESPONSES("responses");

  private final String tag;

  Operation(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
