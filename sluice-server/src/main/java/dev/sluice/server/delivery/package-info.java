/**
 * Notifications: when a batch reaches a final status, an outbox row is written in the same transaction
 * ({@link dev.sluice.server.delivery.DeliveryOutbox}, a {@code job.BatchListener}) together with its
 * delivery task (and a second one for a batch's own listener, {@link
 * dev.sluice.server.delivery.BatchNotifications}); the task sends the event to the job's URL (GET or POST, signed in the Standard Webhooks
 * style with a per-account secret, behind the same address guard as source fetches), records every
 * attempt, and retries by the {@link dev.sluice.server.delivery.RetryPolicy}. {@link
 * dev.sluice.server.delivery.NotificationUrls} is the one rule for notification URLs (https, or http with
 * {@code sluice.delivery.allow-http}), asked by the native API and the doors at creation and by the worker
 * before each attempt. {@link
 * dev.sluice.server.delivery.Deliveries} is the facade the API reads and redelivers through. Uses {@code job},
 * {@code ingest} (its address guard only) and {@code store}.
 */
package dev.sluice.server.delivery;
