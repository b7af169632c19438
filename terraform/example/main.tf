# A small shop's queues: orders (standard, with a dead-letter queue and a queue policy), payments (high-throughput
# FIFO with a FIFO dead-letter queue, SSE-KMS) and notifications (standard, delayed, no encryption), then the same
# queues found again through the aws_sqs_queue and aws_sqs_queues data sources.

locals {
  tags = {
    env   = var.env
    team  = var.team
    owner = "terraform"
  }
}

module "orders" {
  source = "../modules/queue-with-dlq"

  name                       = "${var.env}-orders"
  visibility_timeout_seconds = var.orders_visibility_timeout_seconds
  receive_wait_time_seconds  = 20
  max_receive_count          = 5
  tags                       = local.tags
}

module "payments" {
  source = "../modules/queue-with-dlq"

  name                        = "${var.env}-payments"
  fifo                        = true
  high_throughput             = true
  content_based_deduplication = true
  visibility_timeout_seconds  = 120
  max_receive_count           = 3
  kms_master_key_id           = "alias/aws/sqs"
  tags                        = merge(local.tags, { pci = "true" })
}

resource "aws_sqs_queue" "notifications" {
  name                    = "${var.env}-notifications"
  delay_seconds           = 5
  max_message_size        = 262144
  sqs_managed_sse_enabled = false
  tags                    = local.tags
}

# The orders queue takes messages from the account's own principals and from an SNS topic of the account.
locals {
  account_id = split(":", module.orders.queue_arn)[4]
}

data "aws_iam_policy_document" "orders" {
  statement {
    sid       = "AccountSends"
    effect    = "Allow"
    actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
    resources = [module.orders.queue_arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "TopicSends"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [module.orders.queue_arn]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = ["arn:aws:sns:${var.region}:${local.account_id}:${var.env}-order-events"]
    }
  }
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = module.orders.queue_url
  policy    = data.aws_iam_policy_document.orders.json
}

data "aws_sqs_queue" "orders" {
  name = module.orders.queue_name

  # The name is known before the queue exists: read it once the queue is there.
  depends_on = [module.orders]
}

data "aws_sqs_queues" "env" {
  queue_name_prefix = "${var.env}-"

  # Listed once every queue of the example exists.
  depends_on = [module.orders, module.payments, aws_sqs_queue.notifications]
}
