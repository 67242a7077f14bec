# Internet-facing Application Load Balancer. Its listener answers 404 by default; listener
# rules forward to the servers.
resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
  security_groups    = [aws_security_group.web_lb.id]
}

resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTP"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

locals {
  servers = toset(["admin", "api", "blue", "green", "partner", "world"])
}

resource "aws_lb_target_group" "server" {
  for_each = local.servers
  name     = each.key
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_instance" "server" {
  for_each               = local.servers
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private[0].id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_lb_target_group_attachment" "server" {
  for_each         = local.servers
  target_group_arn = aws_lb_target_group.server[each.key].arn
  target_id        = aws_instance.server[each.key].id
}

# The admin pages: only from the office's addresses.
resource "aws_lb_listener_rule" "admin" {
  listener_arn = aws_lb_listener.web.arn
  priority     = 10
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.server["admin"].arn
  }
  condition {
    path_pattern {
      values = ["/admin/*"]
    }
  }
  condition {
    source_ip {
      values = ["203.0.113.0/24", "198.51.100.7/32"]
    }
  }
}

# The API: a path anyone can ask for.
resource "aws_lb_listener_rule" "api" {
  listener_arn = aws_lb_listener.web.arn
  priority     = 20
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.server["api"].arn
  }
  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }
}

# Blue/green: all traffic to blue, green parked at weight 0.
resource "aws_lb_listener_rule" "release" {
  listener_arn = aws_lb_listener.web.arn
  priority     = 30
  action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.server["blue"].arn
        weight = 100
      }
      target_group {
        arn    = aws_lb_target_group.server["green"].arn
        weight = 0
      }
    }
  }
  condition {
    path_pattern {
      values = ["/app/*"]
    }
  }
}

# A partner's address, known only once its Elastic IP is allocated.
resource "aws_eip" "partner" {
  domain = "vpc"
}

resource "aws_lb_listener_rule" "partner" {
  listener_arn = aws_lb_listener.web.arn
  priority     = 40
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.server["partner"].arn
  }
  condition {
    source_ip {
      values = ["${aws_eip.partner.public_ip}/32"]
    }
  }
}

# Any client address, with a header anyone can send.
resource "aws_lb_listener_rule" "world" {
  listener_arn = aws_lb_listener.web.arn
  priority     = 50
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.server["world"].arn
  }
  condition {
    source_ip {
      values = ["0.0.0.0/0"]
    }
  }
  condition {
    http_header {
      http_header_name = "X-Canary"
      values           = ["yes"]
    }
  }
}
