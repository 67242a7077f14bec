# Internet-facing Application Load Balancer in the public subnets: HTTPS only.
resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
  security_groups    = [aws_security_group.web_lb.id]
  ip_address_type    = "dualstack"
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}

# Internet-facing Network Load Balancer without security groups, forwarding SSH.
resource "aws_lb" "bastion" {
  name               = "bastion"
  load_balancer_type = "network"
  subnets            = aws_subnet.public[*].id
}

resource "aws_lb_target_group" "ssh" {
  name     = "ssh"
  port     = 22
  protocol = "TCP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_lb_listener" "ssh" {
  load_balancer_arn = aws_lb.bastion.arn
  port              = 22
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ssh.arn
  }
}

# Internal Network Load Balancer: its group admits SSH from anywhere, but only clients
# with access to the VPC reach it.
resource "aws_lb" "internal" {
  name               = "internal"
  internal           = true
  load_balancer_type = "network"
  subnets            = aws_subnet.private[*].id
  security_groups    = [aws_security_group.internal_lb.id]
}

resource "aws_lb_listener" "internal_ssh" {
  load_balancer_arn = aws_lb.internal.arn
  port              = 22
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ssh.arn
  }
}

# Internet-facing, but in the private subnets: no route from the internet.
resource "aws_lb" "misplaced" {
  name            = "misplaced"
  subnets         = aws_subnet.private[*].id
  security_groups = [aws_security_group.web_lb.id]
}

resource "aws_lb_listener" "misplaced" {
  load_balancer_arn = aws_lb.misplaced.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}

# Public IPv6 only: its IPv4 addresses are private.
resource "aws_lb" "ipv6" {
  name               = "ipv6"
  load_balancer_type = "application"
  subnet_mapping {
    subnet_id = aws_subnet.public[0].id
  }
  subnet_mapping {
    subnet_id = aws_subnet.public[1].id
  }
  security_groups = [aws_security_group.web_lb.id]
  ip_address_type = "dualstack-without-public-ipv4"
}

resource "aws_lb_listener" "ipv6" {
  load_balancer_arn = aws_lb.ipv6.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}

# Classic Load Balancer forwarding RDP, behind a group open to the world on 3389.
resource "aws_elb" "rdp" {
  name            = "rdp"
  subnets         = [aws_subnet.public[0].id]
  security_groups = [aws_security_group.rdp_lb.id]
  listener {
    lb_port           = 3389
    lb_protocol       = "tcp"
    instance_port     = 3389
    instance_protocol = "tcp"
  }
}
