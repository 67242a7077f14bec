# Listeners, listener rules and target group attachments at the root whose load balancer,
# listener and target group come through `local` maps of module outputs: terraform writes
# each reference as `local.lbs` (or `local.tgs`, `local.listener_arns`) and `each.key`,
# and locals are not in the plan, so none of these links is known. Each listener may be
# any Application Load Balancer's and forward to any target group; each attachment may
# register its instance in any target group of the instance's VPC.
#
# What tfvpc must still know: a target group's load balancers and targets are in its VPC
# (app "a"'s instance is never behind app "b"'s load balancers), and the three listeners,
# alike but for their names, are one way to each target, the reason counting the others.

locals {
  apps          = { a = "10.1.0.0/16", b = "10.2.0.0/16", c = "10.3.0.0/16" }
  lbs           = { for k, m in module.app : k => m.lb_arn }
  tgs           = { for k, m in module.app : k => m.tg_arn }
  listener_arns = { for k, l in aws_lb_listener.http : k => l.arn }
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

resource "aws_lb_target_group_attachment" "web" {
  for_each         = local.apps
  target_group_arn = local.tgs[each.key]
  target_id        = module.app[each.key].instance_id
}
