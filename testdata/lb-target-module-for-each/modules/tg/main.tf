variable "vpc_id" {
  type = string
}

# Two target groups: the web tier's, and the workers'.
resource "aws_lb_target_group" "web" {
  name     = "web"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id
}

resource "aws_lb_target_group" "workers" {
  name     = "workers"
  port     = 9090
  protocol = "HTTP"
  vpc_id   = var.vpc_id
}

output "web_arn" {
  value = aws_lb_target_group.web.arn
}

output "workers_arn" {
  value = aws_lb_target_group.workers.arn
}
