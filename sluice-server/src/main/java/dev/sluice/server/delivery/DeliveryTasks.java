package dev.sluice.server.delivery;

import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import java.time.Instant;

/**
 * The delivery task in the task table. One instance per delivery and round ({@code <delivery id>/<round>},
 * round 0 the first, then one per redelivery), so a redelivery never collides with a retry of the round
 * before it, and scheduling one round twice is a no-op.
 */
final class DeliveryTasks {

    /** Sends one delivery; data: {@code <delivery id>/<round>}. */
    static final TaskDescriptor<String> SEND = TaskDescriptor.of("delivery-send", String.class);

    private DeliveryTasks() {
    }

    static SchedulableInstance<String> instance(String deliveryId, int round, Instant at) {
        String id = deliveryId + "/" + round;
        return SEND.instance(id).data(id).scheduledTo(at);
    }

    static String deliveryOf(String data) {
        return data.substring(0, data.lastIndexOf('/'));
    }

    static int roundOf(String data) {
        return Integer.parseInt(data.substring(data.lastIndexOf('/') + 1));
    }
}
