variable "subnet_ids" {
  type = list(string)
}

variable "security_group_id" {
  type = string
}

# The load balancer, and a spare one.
resource "aws_lb" "this" {
  name               = "web"
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

output "lb_arn" {
  value = aws_lb.this.arn
}

output "spare_lb_arn" {
  value = aws_lb.spare.arn
}
