# An application stack in the shared network of base/, which it finds with data sources
# only (the usual shape of a service's own repository): the subnets by tag, one by one
# with `for_each`, their route tables by subnet. A bastion with SSH open to the world in a
# public subnet, a load balancer over the public subnets, an app instance and an
# interface endpoint in one app subnet.

data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}

data "aws_subnets" "public" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.shared.id]
  }
  tags = { Tier = "public" }
}

data "aws_subnet" "public" {
  for_each = toset(data.aws_subnets.public.ids)
  id       = each.value
}

data "aws_subnet" "app_a" {
  vpc_id = data.aws_vpc.shared.id
  tags   = { Name = "app-a" }
}

data "aws_route_table" "public" {
  for_each  = data.aws_subnet.public
  subnet_id = each.value.id
}

data "aws_route_table" "app_a" {
  subnet_id = data.aws_subnet.app_a.id
}

locals {
  # The public subnet in us-east-1a.
  public_a = [for s in data.aws_subnet.public : s.id if s.availability_zone == "us-east-1a"][0]
}

resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = data.aws_vpc.shared.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "bastion" {
  ami                         = "ami-12c6146b"
  instance_type               = "t3.micro"
  subnet_id                   = local.public_a
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.bastion.id]
}

resource "aws_security_group" "lb" {
  name   = "lb"
  vpc_id = data.aws_vpc.shared.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.30.0.0/16"]
  }
}

resource "aws_lb" "api" {
  name               = "api"
  load_balancer_type = "application"
  subnets            = data.aws_subnets.public.ids
  security_groups    = [aws_security_group.lb.id]
}

resource "aws_lb_target_group" "api" {
  name     = "api"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = data.aws_vpc.shared.id
}

resource "aws_lb_listener" "api" {
  load_balancer_arn = aws_lb.api.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = data.aws_vpc.shared.id
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = data.aws_subnet.app_a.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.api.arn
  target_id        = aws_instance.app.id
  port             = 8080
}

resource "aws_security_group" "endpoints" {
  name   = "endpoints"
  vpc_id = data.aws_vpc.shared.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.shared.cidr_block]
  }
}

resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = data.aws_vpc.shared.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [data.aws_subnet.app_a.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}
