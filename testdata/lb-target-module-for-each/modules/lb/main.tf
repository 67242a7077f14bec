variable "subnet_ids" {
  type = list(string)
}

variable "security_group_id" {
  type = string
}

# Two load balancers (ops, spare), each with a listener on 82 that answers itself.
resource "aws_lb" "ops" {
  name               = "ops"
  load_balancer_type = "application"
  subnets            = var.subnet_ids
  security_groups    = [var.security_group_id]
}

resource "aws_lb" "spare" {
  name               = "spare"
  load_balancer_type = "application"
  subnets            = var.subnet_ids
  security_groups    = [var.security_group_id]
}

resource "aws_lb_listener" "ops" {
  load_balancer_arn = aws_lb.ops.arn
  port              = 82
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

resource "aws_lb_listener" "spare" {
  load_balancer_arn = aws_lb.spare.arn
  port              = 82
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

output "lb_arn" {
  value = aws_lb.ops.arn
}

output "spare_lb_arn" {
  value = aws_lb.spare.arn
}

output "listener_arn" {
  value = aws_lb_listener.ops.arn
}

output "spare_listener_arn" {
  value = aws_lb_listener.spare.arn
}
