# Internet-facing Application Load Balancer: HTTP on 443 to the application servers'
# 8080, and a path rule to the tools server's 8443.
resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
  security_groups    = [aws_security_group.web_lb.id]
}

resource "aws_lb_target_group" "app" {
  name     = "app"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_lb_target_group" "tools" {
  name     = "tools"
  port     = 8443
  protocol = "HTTPS"
  vpc_id   = aws_vpc.main.id
}

resource "aws_lb_listener_rule" "tools" {
  listener_arn = aws_lb_listener.web.arn
  priority     = 10
  action {
    type = "forward"
    forward {
      target_group {
        arn = aws_lb_target_group.tools.arn
      }
    }
  }
  condition {
    path_pattern {
      values = ["/tools/*"]
    }
  }
}

resource "aws_lb_target_group_attachment" "tools" {
  target_group_arn = aws_lb_target_group.tools.arn
  target_id        = aws_instance.tools.id
}

# Internet-facing Network Load Balancer without security groups: 2222 to the jump host's
# SSH, 22 to the admin host's SSH, 443 to the API's 9000. Instance targets: the client's
# address is kept (AWS's default).
resource "aws_lb" "edge" {
  name               = "edge"
  load_balancer_type = "network"
  subnets            = aws_subnet.public[*].id
}

resource "aws_lb_target_group" "jump" {
  name     = "jump"
  port     = 22
  protocol = "TCP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_lb_listener" "jump" {
  load_balancer_arn = aws_lb.edge.arn
  port              = 2222
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.jump.arn
  }
}

resource "aws_lb_target_group_attachment" "jump" {
  target_group_arn = aws_lb_target_group.jump.arn
  target_id        = aws_instance.jump.id
}

resource "aws_lb_target_group" "admin" {
  name     = "admin"
  port     = 22
  protocol = "TCP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_lb_listener" "admin" {
  load_balancer_arn = aws_lb.edge.arn
  port              = 22
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.admin.arn
  }
}

resource "aws_lb_target_group_attachment" "admin" {
  target_group_arn = aws_lb_target_group.admin.arn
  target_id        = aws_instance.admin.id
}

resource "aws_lb_target_group" "api" {
  name     = "api"
  port     = 9000
  protocol = "TCP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_lb_listener" "api" {
  load_balancer_arn = aws_lb.edge.arn
  port              = 443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_lb_target_group_attachment" "api" {
  count            = 2
  target_group_arn = aws_lb_target_group.api.arn
  target_id        = aws_instance.api[count.index].id
}

# Classic Load Balancer: port 80 to the legacy server's 8080.
resource "aws_elb" "legacy" {
  name            = "legacy"
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.legacy_lb.id]
  instances       = [aws_instance.legacy.id]
  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }
}

# ECS tasks (awsvpc) registered by IP on their container port (8080), not the target
# group's port (80).
resource "aws_lb_target_group" "svc" {
  name        = "svc"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
}

resource "aws_lb_listener_rule" "svc" {
  listener_arn = aws_lb_listener.web.arn
  priority     = 20
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.svc.arn
  }
  condition {
    host_header {
      values = ["svc.example.com"]
    }
  }
}

# A network interface registered by its private address in a TCP target group: the
# client's address is not kept (AWS's default for IP targets over TCP).
resource "aws_lb_target_group" "probe" {
  name        = "probe"
  port        = 9100
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
}

resource "aws_lb_listener" "probe" {
  load_balancer_arn = aws_lb.edge.arn
  port              = 9100
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.probe.arn
  }
}

resource "aws_lb_target_group_attachment" "probe" {
  target_group_arn = aws_lb_target_group.probe.arn
  target_id        = aws_network_interface.probe.private_ip
}

# A Classic Load Balancer in us-east-1a only, whose one instance runs in us-east-1b: a
# target in an Availability Zone the load balancer does not enable receives no traffic.
resource "aws_elb" "single" {
  name            = "single"
  subnets         = [aws_subnet.public[0].id]
  security_groups = [aws_security_group.legacy_lb.id]
  listener {
    lb_port           = 80
    lb_protocol       = "tcp"
    instance_port     = 8080
    instance_protocol = "tcp"
  }
}

resource "aws_elb_attachment" "stray" {
  elb      = aws_elb.single.id
  instance = aws_instance.stray.id
}
