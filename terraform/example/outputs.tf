output "orders_queue_url" {
  value = module.orders.queue_url
}

output "orders_dlq_arn" {
  value = module.orders.dlq_arn
}

output "payments_queue_url" {
  value = module.payments.queue_url
}

output "payments_dlq_arn" {
  value = module.payments.dlq_arn
}

output "notifications_queue_url" {
  value = aws_sqs_queue.notifications.url
}

output "orders_from_data_source" {
  description = "The orders queue as the aws_sqs_queue data source reads it."
  value = {
    arn  = data.aws_sqs_queue.orders.arn
    url  = data.aws_sqs_queue.orders.url
    tags = data.aws_sqs_queue.orders.tags
  }
}

output "queue_urls" {
  description = "Every queue of the environment, as the aws_sqs_queues data source lists them."
  value       = sort(data.aws_sqs_queues.env.queue_urls)
}
