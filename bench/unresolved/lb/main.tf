# Load balancer links that go through `local` maps of module outputs, N times over: per
# module instance (a VPC with two Application Load Balancers, two target groups and an
# instance), a root listener, listener rule and target group attachment whose load
# balancer, listener and target group are `local.<map>[each.key]`, which terraform's plan
# JSON lists as `local.<map>` and `each.key` only. Locals are not in the plan, so each
# listener may be any load balancer's and forward to any target group: the analysis must
# still cost about the same per instance at any N. `bash bench/unresolved/run.sh`.

variable "n" { type = number }

locals {
  listener_arns = { for k, l in aws_lb_listener.http : k => l.arn }
  lbs           = { for k, m in module.app : k => m.lb_arn }
  tgs           = { for k, m in module.app : k => m.tg_arn }
  apps          = { for i in range(var.n) : format("a%04d", i) => cidrsubnet("10.0.0.0/8", 8, i % 256) }
}

module "app" {
  source   = "./modules/app"
  for_each = local.apps
  cidr     = each.value
}

resource "aws_lb_listener" "http" {
  for_each          = local.apps
  load_balancer_arn = local.lbs[each.key]
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = local.tgs[each.key]
  }
}

resource "aws_lb_target_group_attachment" "web" {
  for_each         = local.apps
  target_group_arn = local.tgs[each.key]
  target_id        = module.app[each.key].instance_id
}

resource "aws_lb_listener_rule" "admin" {
  for_each     = local.apps
  listener_arn = local.listener_arns[each.key]
  priority     = 10
  action {
    type             = "forward"
    target_group_arn = local.tgs[each.key]
  }
  condition {
    source_ip {
      values = ["192.0.2.0/24"]
    }
  }
}
