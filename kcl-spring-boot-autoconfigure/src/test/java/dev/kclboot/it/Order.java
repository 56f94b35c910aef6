package dev.kclboot.it;

/**
 * The POJO the integration tests write as JSON.
 */
public record Order(String id, int amount) {

    String json() {
        return "{\"id\":\"" + id + "\",\"amount\":" + amount + "}";
    }
}
